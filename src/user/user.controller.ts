import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { CreateUserRequest, toUserResponse, UserResponse } from './dto/create-user.dto';
import { UserService } from './user.service';

@ApiTags('admin')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createUser', summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  async createUser(@Body() request: CreateUserRequest): Promise<UserResponse> {
    return toUserResponse(await this.users.createUser(request.name));
  }
}
