import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { AdminOnly } from '../admin/admin-key.guard';
import { CreateUserRequest, toUserResponse, UserResponse } from './dto/create-user.dto';
import { UserService } from './user.service';

@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Post()
  @AdminOnly()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ operationId: 'createUser', summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserResponse, description: 'The user, with a zero balance' })
  async createUser(@Body() request: CreateUserRequest): Promise<UserResponse> {
    return toUserResponse(await this.users.createUser(request.name));
  }
}
